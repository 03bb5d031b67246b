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
| 004 三(一) 会商研判 | ``consultation`` | record_consultation |
| 004 三(二) 考核 | ``assessment`` | sanction |

Beside them: ``deployment`` (部署配置, not a paragraph of 004: the deployment's roster
and local defaults, update_roster) and ``answerable`` (who answers for what, A-HOLD and
A-LOCAL, shared by ``assignment`` and ``escalation``).

Each message has a check and a step. ``check_<message>(state, message, context)``
only reads the incident's state (``IncidentState``) and raises ``Refusal`` with
the reason. ``apply_<message>(step, message)`` gets a ``Step``: the state, the
``Context`` (the current time, which behaviour versions apply) and the list of
effects; it changes the state and adds, in order, what the workflow must carry
out: timers to arm or disarm, grace periods, deliveries. What runs them is
``domain.engine``: ``registry.take`` runs both and returns the effects, and
``registry`` lists every message once.
"""
