"""Triage of a mother's message: which problem, how urgent, and why.

>>> from flows.triage import classify
>>> classify("dedek kejang").label
'danger_baby'
"""

from .classifier import LABELS, URGENT_LABELS, TriageResult, classify
from .normalize import normalize

__all__ = ["LABELS", "URGENT_LABELS", "TriageResult", "classify", "normalize"]
