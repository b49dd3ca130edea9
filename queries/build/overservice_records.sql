-- Every over-service record (SPEC §3 eligibility, §5): a completed record of a service whose standard for the
-- customer's tier on the service day is not_entitled (`entitled` never produces over-service; `market`
-- neither). Kept with the record's own manager_id and the tier on the service day; overservice_items selects a
-- window and an as-of date. No parameters. Reads service_logs, customers, tier_spans, standard_segments.
with logs as (
    select l.record_id, l.customer_id, l.manager_id, l.service_code, l.service_time, l.service_time::date as day,
           l.channel, l.note
    from service_logs as l
    where l.status = 'completed'
        and l.service_code in (select service_code from standard_segments where requirement = 'not_entitled')
),

tiered as (
    select lg.*, c.city_code, c.district_code, coalesce(c.city_code, '') as city_key, ts.tier
    from logs as lg
    inner join customers as c on c.customer_id = lg.customer_id
    inner join tier_spans as ts
        on ts.customer_id = lg.customer_id and lg.day >= ts.span_from and lg.day < ts.span_to
)

select
    t.record_id, t.customer_id, t.city_code, t.district_code, t.manager_id, t.tier, t.service_code,
    t.service_time, t.channel, t.note, s.source_line, s.is_override
from tiered as t
inner join standard_segments as s
    on s.city_code = t.city_key and s.tier = t.tier and s.service_code = t.service_code
    and t.day >= s.seg_from and t.day < s.seg_to
where s.requirement = 'not_entitled'
