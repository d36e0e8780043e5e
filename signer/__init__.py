"""Electronic signatures for city letters (PAdES with pyHanko): keys, signing workflow,
verification and the audit trail. Not built yet; see the issues."""
