"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from app.actionplans.models import ActionPlan, ActionPlanFollowUp, ActionPlanItem
from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.auth.models import ApiKey
from app.batches.models import IdempotencyKey, ImportBatch
from app.benchmarks.models import BenchmarkGroup, BenchmarkValue, KoladaKpi
from app.budget.models import (
    BudgetAccount,
    BudgetCategory,
    BudgetFrame,
    BudgetFrameAdjustment,
    BudgetLine,
)
from app.control.models import ControlPlan, ControlPoint, ControlResult
from app.db import Base
from app.exports.models import ExportSnapshot
from app.goals.models import Assignment, AssignmentProgress, Goal, GoalIndicator
from app.indicators.models import Indicator, Target
from app.measurements.models import Measurement, MeasurementVersion
from app.municipalities.models import Municipality
from app.orgunits.models import OrgUnit
from app.placements.models import (
    Placement,
    PlacementAggregate,
    PlacementBudget,
    PlacementCategory,
    PlacementProvider,
    PlacementRate,
)
from app.quality.decisions.models import DecisionInterruption, UnexecutedDecision
from app.quality.deviations.models import DeviationMeasure, DeviationReport, DeviationTransition
from app.quality.feedback.models import Feedback
from app.readcache.models import DataVersion
from app.versions.models import EntityVersion

metadata = Base.metadata

__all__ = [
    "ActionPlan",
    "ActionPlanFollowUp",
    "ActionPlanItem",
    "ApiKey",
    "Assessment",
    "Assignment",
    "AssignmentProgress",
    "AuditEvent",
    "BenchmarkGroup",
    "BenchmarkValue",
    "BudgetAccount",
    "BudgetCategory",
    "BudgetFrame",
    "BudgetFrameAdjustment",
    "BudgetLine",
    "ControlPlan",
    "ControlPoint",
    "ControlResult",
    "DataVersion",
    "DecisionInterruption",
    "DeviationMeasure",
    "DeviationReport",
    "DeviationTransition",
    "EntityVersion",
    "ExportSnapshot",
    "Feedback",
    "Goal",
    "GoalIndicator",
    "IdempotencyKey",
    "ImportBatch",
    "Indicator",
    "KoladaKpi",
    "Measurement",
    "MeasurementVersion",
    "Municipality",
    "OrgUnit",
    "Placement",
    "PlacementAggregate",
    "PlacementBudget",
    "PlacementCategory",
    "PlacementProvider",
    "PlacementRate",
    "Target",
    "UnexecutedDecision",
    "metadata",
]
