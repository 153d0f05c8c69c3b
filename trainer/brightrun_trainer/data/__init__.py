"""Reading brightrun-lora-v4 files and turning them into training examples."""
