"""Views of the agendas app, in two modules.

`places` has the pages of a place — home, gebied and wijk — which bring together areas,
pacts and agendas; `agendas` has the pages of the agendas themselves.
"""
