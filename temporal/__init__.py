"""The Temporal layer every process shares: what a workflow, an activity, a worker and a
starter must agree on to talk to each other through Temporal.

- ``names``: names every process agrees on: the task queue, the workflow types, one
  workflow id per incident, the schedules' ids, the payload's principal key.
- ``data_converter``: the one data converter (pydantic payloads, refusals without stack traces).
- ``codec``: payload encryption (the keys are the process's: ``settings.keys``).
- ``search_attributes``: the list's attributes — names, Temporal types and the projection
  of an incident's status onto them.
- ``refusals``: how a refusal answers (the error types a backend tells from a fault).
- ``handlers``: a registry message declared as a workflow's signal and update.

And Temporal's side of what the incident's shell does (workflow code, called on the
workflow's thread): ``continuing`` (what a run was started with, when
it hands over, continue-as-new), ``cancellation`` (waits a cancellation request does not
end), ``background`` (an activity started without being awaited, its answer to a callback)
and ``showing`` (the search attributes and the current details the UI shows).

Above the domain (``domain`` never imports ``temporalio``), below everything else.
"""
