"""Who may start and read progress reports.

A gebied's core team (and the functional administrator) start its reports, its whole team
reads them; city-wide ones (no gebiedsteam) are
for admins only. Viewing matches `Report.objects.visible_to(user)`.
"""

from __future__ import annotations

import rules

from areas import rules as area_rules
from areas.rules import is_admin

# "Add" is checked on the gebiedsteam: its core team starts reports, its whole team reads them.
rules.add_perm("followup.add_report", is_admin | area_rules.is_core_team_of_gebied)
rules.add_perm("followup.add_city_report", is_admin)
rules.add_perm("followup.view_report", is_admin | area_rules.is_team_member_of_gebied)
