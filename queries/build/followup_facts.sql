-- Every automatic return visit that asks for a person to follow up (SPEC §12, 第五十三条): an `auto_voice` or
-- `sms` visit whose result is `unreachable` or `dissatisfied`, with the time of the first `manual` visit of the
-- same order after it (a strictly later return_visit_at). No parameters.
-- As of a date a the follow-up is done when that manual visit is dated at most 3 days after the automatic one
-- and on or before a (the first later manual visit decides: a later one is dated later still).
select
    v.visit_id, v.order_id, v.return_visit_at, v.method, v.result,
    min(m.return_visit_at) as manual_at
from return_visits as v
left join return_visits as m
    on m.order_id = v.order_id and m.method = 'manual' and m.return_visit_at > v.return_visit_at
where v.method in ('auto_voice', 'sms') and v.result in ('unreachable', 'dissatisfied')
group by v.visit_id, v.order_id, v.return_visit_at, v.method, v.result
