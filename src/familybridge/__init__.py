"""familybridge: child welfare, SUD treatment and family court working the same families."""
