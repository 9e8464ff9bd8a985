"""The change counter of each municipality (see :mod:`app.readcache`)."""

import uuid

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class DataVersion(Base):
    """How many write transactions have committed in a municipality since counting began."""

    __tablename__ = "data_version"

    municipality_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(BigInteger)
