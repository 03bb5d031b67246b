"""The procedure (交办督办程序) as plain Python over plain data: no Temporal, no I/O.

One module per paragraph of the Nantong procedure (南通 2017-12-22, 004 二):

| 004 二 | module | steps |
|---|---|---|
| (一) 收集分析 | ``collection`` | the first report, add_report (merge) |
| (一)(二) 研判 | ``analysis`` | analyze / 研判调整, routing, 会商研判 |
| (二) 分类交办 | ``assignment`` | one 交办单 per unit, phone-first emergencies, acknowledge, backfill_form, return |
| (三) 办理回应 | ``handling`` | record_response, request / decide_extension |
| (四) 情况反馈 | ``feedback`` | submit_feedback, review_feedback (办结 / 退回重办) |
| (五) 催办督办 | ``escalation`` | missed windows, 催办 → 督办 → 问责, leader_instruction |
| closing | ``closing`` | withdraw, the key-response rule, rumour transfer |

A step takes the incident's state (``IncidentState``), the message and a
``Context`` (the current time, which behaviour versions apply). It changes the
state and returns the effects the workflow must carry out, in order: timers to
arm or disarm, grace periods, deliveries. A check only reads and raises
``Refusal`` with the reason. ``registry`` lists every message once.
"""
