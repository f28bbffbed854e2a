"""The generated permission matrix: docs/roles.md read as a table, one world in two gebieden,
and the list of views with what guards each (tests/wijkportaal/test_permission_matrix.py)."""
