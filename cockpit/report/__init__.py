"""Reports on paper: the shift handover.

``data`` gathers (from ``permits``, ``journal`` and ``commands`` into ``records``), ``handover_pdf`` draws
(with ``handover_texts`` and ``pdf_drawing``), ``handover_service`` signs and stores, ``cli`` prints.
"""
