"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.auth.models import ApiKey
from app.batches.models import IdempotencyKey, ImportBatch
from app.db import Base
from app.goals.models import Assignment, AssignmentProgress, Goal, GoalIndicator
from app.indicators.models import Indicator, Target
from app.measurements.models import Measurement, MeasurementVersion
from app.municipalities.models import Municipality
from app.orgunits.models import OrgUnit

metadata = Base.metadata

__all__ = [
    "ApiKey",
    "Assessment",
    "Assignment",
    "AssignmentProgress",
    "AuditEvent",
    "Goal",
    "GoalIndicator",
    "IdempotencyKey",
    "ImportBatch",
    "Indicator",
    "Measurement",
    "MeasurementVersion",
    "Municipality",
    "OrgUnit",
    "Target",
    "metadata",
]
