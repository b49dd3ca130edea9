-- overservice_items(date_from, date_to, as_of, scope_city, scope_district): completed records, inside the
-- window and on or before as_of, of a service whose standard for the customer's tier on the service day is
-- not_entitled (SPEC §3 eligibility, §5). `entitled` never produces over-service; `market` neither.
-- Grouped by the record's own manager_id and the tier on the service day. A table macro.
create or replace temp macro overservice_items(date_from, date_to, as_of, scope_city, scope_district) as table
with logs as (
    select l.record_id, l.customer_id, l.manager_id, l.service_code, l.service_time, l.service_time::date as day,
           l.channel, l.note
    from service_logs as l
    where l.status = 'completed'
        and l.service_code in (select service_code from standard_segments where requirement = 'not_entitled')
        and l.service_time::date between date_from::date and date_to::date
        and l.service_time::date <= as_of::date
),

placed as (
    select lg.*, c.city_code, c.district_code, coalesce(c.city_code, '') as city_key, c.tier as current_tier
    from logs as lg
    inner join customers as c on c.customer_id = lg.customer_id
    where (scope_city is null or c.city_code = scope_city)
        and (scope_district is null or c.district_code = scope_district)
),

tiered as (
    select p.*, coalesce(th.tier, p.current_tier) as tier
    from placed as p
    asof left join tier_history as th on th.customer_id = p.customer_id and p.day >= th.effective_from
)

select
    t.record_id, t.customer_id, t.city_code, t.district_code, t.manager_id, t.tier, t.service_code,
    t.service_time, t.channel, t.note, s.source_line, s.is_override
from tiered as t
inner join standard_segments as s
    on s.city_code = t.city_key and s.tier = t.tier and s.service_code = t.service_code
    and t.day >= s.seg_from and t.day < s.seg_to
where s.requirement = 'not_entitled'
