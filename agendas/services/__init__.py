"""Workflows of the agendas app: `agendas` for wijkagendas, items and visions; `actions` for
plans, actions, progress updates and meetings. Edits go through agendas.history so every
change is kept and stale saves are refused."""
