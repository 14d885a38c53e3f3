"""Triage of a mother's message: which problem, how urgent, and why.

>>> from flows.triage import classify
>>> classify("dedek kejang").label
'danger_baby'
"""

from .classifier import LABELS, PROBLEM_LABELS, URGENT_LABELS, TriageResult, classify
from .normalize import normalize

__all__ = ["LABELS", "PROBLEM_LABELS", "URGENT_LABELS", "TriageResult", "classify", "normalize"]
