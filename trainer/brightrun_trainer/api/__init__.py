"""Talking to the BrightRun API: GraphQL calls, signed-URL transfers, the metrics reporter."""
