"""The trainer's side of the contract: one method per operation in CONTRACT.md."""

from __future__ import annotations

from .graphql import GraphQLClient

JOB_QUERY = """
query TrainerJob($jobId: ID!) {
  trainerJob(jobId: $jobId) {
    jobId attempt baseModel
    hyperparameters { loraRank loraAlpha loraDropout targetModules epochs batchSize gradientAccumulationSteps
      learningRate warmupRatio maxSequenceLength lrScheduler quantization validationShare seed packing
      gradientCheckpointing maxSteps evalEverySteps checkpointEverySteps keepCheckpoints }
    dataset { url sha256 sizeBytes encoding }
    resumeFrom { checkpointId step files { name url sizeBytes sha256 } }
  }
}"""

REPORT_MUTATION = """
mutation TrainerReport($jobId: ID!, $input: TrainerReportInput!) {
  trainerReport(jobId: $jobId, input: $input) { acceptedMetrics duplicateMetrics cancelRequested }
}"""

REQUEST_CHECKPOINT_UPLOAD = """
mutation TrainerRequestCheckpointUpload($jobId: ID!, $step: Int!, $files: [TrainerFileInput!]!) {
  trainerRequestCheckpointUpload(jobId: $jobId, step: $step, files: $files) {
    checkpointId uploads { name url method headers { name value } } } }"""

COMMIT_CHECKPOINT = """
mutation TrainerCommitCheckpoint($jobId: ID!, $checkpointId: ID!) {
  trainerCommitCheckpoint(jobId: $jobId, checkpointId: $checkpointId) { checkpointId step } }"""

REQUEST_ARTIFACT_UPLOAD = """
mutation TrainerRequestArtifactUpload($jobId: ID!, $files: [TrainerFileInput!]!) {
  trainerRequestArtifactUpload(jobId: $jobId, files: $files) { uploads { name url method headers { name value } } } }"""

COMPLETE = """
mutation TrainerComplete($jobId: ID!, $summary: TrainerSummaryInput!) {
  trainerComplete(jobId: $jobId, summary: $summary) { artifactId name version } }"""

FAIL = """
mutation TrainerFail($jobId: ID!, $failure: TrainerFailureInput!) {
  trainerFail(jobId: $jobId, failure: $failure) { jobId } }"""


class TrainerApi:
    def __init__(self, client: GraphQLClient, job_id: str, *, deadline_s: float = 300.0):
        self.client = client
        self.job_id = job_id
        self.deadline_s = deadline_s

    def _call(self, query: str, deadline_s: float | None = None, **variables) -> dict:
        return self.client.call(query, {"jobId": self.job_id, **variables},
                                deadline_s=self.deadline_s if deadline_s is None else deadline_s)

    def job(self) -> dict:
        return self._call(JOB_QUERY)["trainerJob"]

    def report_once(self, report_input: dict) -> dict:
        """One attempt, no retry: the Reporter owns retrying and buffering."""
        data = self.client.execute(REPORT_MUTATION, {"jobId": self.job_id, "input": report_input})
        return data.get("trainerReport") or {}

    def request_checkpoint_upload(self, step: int, files: list[dict]) -> dict:
        return self._call(REQUEST_CHECKPOINT_UPLOAD, deadline_s=60, step=step,
                          files=files)["trainerRequestCheckpointUpload"]

    def commit_checkpoint(self, checkpoint_id: str) -> dict:
        return self._call(COMMIT_CHECKPOINT, deadline_s=60, checkpointId=checkpoint_id)["trainerCommitCheckpoint"]

    def request_artifact_upload(self, files: list[dict]) -> dict:
        return self._call(REQUEST_ARTIFACT_UPLOAD, files=files)["trainerRequestArtifactUpload"]

    def complete(self, summary: dict) -> dict:
        return self._call(COMPLETE, summary=summary)["trainerComplete"]

    def fail(self, code: str, message: str, detail: str | None = None, deadline_s: float = 60.0) -> dict:
        failure = {"code": code, "message": message, "detail": detail}
        return self._call(FAIL, deadline_s=deadline_s, failure=failure)["trainerFail"]
