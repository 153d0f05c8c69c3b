// @brightrun/lora-sdk — the typed client arrives with the SDK issue; this file marks the package's entry.
export const SDK_NAME = '@brightrun/lora-sdk';
