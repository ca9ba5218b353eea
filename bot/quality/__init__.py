"""How good the assistant is: the evaluation report (``eval``), the tuning of its settings on the
train split (``tuning``) and the scripted conversations (``scenarios``)."""
