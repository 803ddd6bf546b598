"""Inspection (issue 23): the register of equipment, routes and spot checks; the field's scans and
checklist results; today's rounds and their suspicious scans; defect work orders and their escalation."""
