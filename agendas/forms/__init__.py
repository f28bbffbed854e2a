"""Forms of the agendas app: `agendas` for wijkagendas, their items and visions; `actions`
for plans, actions, progress updates and meetings."""
