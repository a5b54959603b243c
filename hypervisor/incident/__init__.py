"""Incident files: the signed hash chain of alarm events and actions (``chain``, ``keeper``), exports
(``export``) and their verification (``verify``)."""
