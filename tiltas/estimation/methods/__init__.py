"""Multiple systems estimation without Django: the public API of the engine."""

from tiltas.estimation.methods.estimate import (
    DEFAULT_SEED,
    EstimationError,
    Method,
    PopulationEstimate,
    population_estimate,
)
from tiltas.estimation.methods.loglinear import design_for, model_check, model_fit
from tiltas.estimation.methods.selection import DEFAULT_THRESHOLD, bic_select, stepwise_select
from tiltas.estimation.methods.table import CaptureTable, CaptureTableError, capture_table_parse

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_THRESHOLD",
    "CaptureTable",
    "CaptureTableError",
    "EstimationError",
    "Method",
    "PopulationEstimate",
    "bic_select",
    "capture_table_parse",
    "design_for",
    "model_check",
    "model_fit",
    "population_estimate",
    "stepwise_select",
]
