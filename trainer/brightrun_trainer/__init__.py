"""BrightRun LoRA trainer: runs in the GPU pod, trains a LoRA adapter and reports to the API.

`python -m brightrun_trainer run` talks to the server (see CONTRACT.md);
`python -m brightrun_trainer local` trains offline from a dataset file.
"""

__version__ = "0.1.0"
