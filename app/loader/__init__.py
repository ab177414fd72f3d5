"""The article pipeline: read sources (sources.py), extract (app.extract, pure), load (load.py).

Reference data is upserted by reference.py; the extractor's gazetteer is built from the database
(gazetteer_db.py), so whatever the record knows — names from seeds, the API or earlier articles —
the extractor knows too.
"""
