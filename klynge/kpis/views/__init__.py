"""The KPI pages: indicators and drill-downs, participants, snapshots, targets, dashboard."""
