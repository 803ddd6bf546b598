"""Reports on paper: the shift handover.

``data`` gathers, ``handover_pdf`` draws, ``handover_service`` signs and stores, ``cli`` prints.
"""
