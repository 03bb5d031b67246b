"""Temporal workflows of yuqing."""

from workflows.incident import IncidentWorkflow

__all__ = ["IncidentWorkflow"]
