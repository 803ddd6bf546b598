"""Bulk import and export of the plant's registers (issue 16 part 3): xlsx and CSV in, xlsx out.

``specs`` says, per register, which columns a file has (both languages' headers, the key, the type);
``reading`` turns a file into rows; ``checks`` turns a row into values or problems (row, column, code);
``service`` upserts on the natural keys in one transaction with its audit entry, exports and writes
templates; ``cli`` is ``python main.py register template|import|export``.
"""

# The registers, in the order a plant loads them (a row may only name what an earlier file loaded).
# Here, not in ``specs``, so the command line's parser need not import the database mapping.
REGISTER_NAMES = (
    "sites",
    "areas",
    "contacts",
    "detectors",
    "channels",
    "contractors",
    "qualifications",
    "workers",
    "certificates",
    "trainings",
    "equipment",
    "routes",
    "area_owners",
)
