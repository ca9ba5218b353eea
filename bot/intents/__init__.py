"""Intent classification on the encoder pass the retriever already paid for.

The package by job, so that a module needing only the value types imports nothing heavy:

- ``types``: ``Prediction`` (what routing reads) and the package's errors; standard library only.
- ``model``: ``IntentClassifier``, its features and predictions, ``save`` and ``load``.
- ``files``: the model folder on disk (format version, manifest, checksum).
- ``training``: training, temperature and threshold calibration, ``ensure_model`` (the cached model).
- ``crossval``: stratified cross-validation of an intent set.

Nothing is exported here: import from the module that does the job.
"""
