"""Who may start and read progress reports.

A gebied's team (and admins) start and read its reports; city-wide ones (no gebiedsteam) are
for admins only. Viewing matches `Report.objects.visible_to(user)`.
"""

from __future__ import annotations

import rules

from areas import rules as area_rules
from areas.rules import is_admin

can_edit = is_admin | area_rules.is_team_member_of_gebied

# "Add" is checked on the gebiedsteam.
rules.add_perm("followup.add_report", can_edit)
rules.add_perm("followup.add_city_report", is_admin)
rules.add_perm("followup.view_report", can_edit)
