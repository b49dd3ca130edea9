-- Birthday greeting obligations (SPEC §3 member standard, §5) of the calendar years $year_from..$year_to, with
-- their evidence. Parameters: $year_from, $year_to. Reads members, customers, tier_spans, service_logs, vocab,
-- settings. Status is not stored: with the as-of date a, an obligation is open while due_day > a, else met when
-- records > 0 (every counted record is dated on or before due_day <= a), else missed.
--   * one obligation per important member (member_role whose vocab attr is core or ordinary) per birthday,
--     when the customer was onboarded on or before the birthday;
--   * a 29 February birthday falls on 28 February in other years;
--   * evidence: completed records of the greeting service naming the member, dated within the greeting window
--     (settings.greeting_window_days, 8 by default: the birthday and the 7 days before it);
--   * tier = tier in effect on the birthday; manager = the customer's account manager.
with important as (
    select m.member_id, m.customer_id, m.member_name, m.member_role, m.birthday
    from members as m
    where m.birthday is not null
        and m.member_role in (
            select code from vocab where domain = 'member_role' and attr in ('core', 'ordinary')
        )
),

cfg as (
    select
        max(value) filter (where key = 'greeting_service') as service_code,
        max(try_cast(value as integer)) filter (where key = 'greeting_window_days') as window_days
    from settings
),

birthdays as (
    select
        i.*,
        case
            when month(i.birthday) = 2 and day(i.birthday) = 29 and not is_leap(y.y)
                then make_date(y.y::int, 2, 28)
            else make_date(y.y::int, month(i.birthday), day(i.birthday))
        end as due_day
    from important as i
    cross join (select unnest(range($year_from, $year_to + 1)) as y) as y
),

obligation as (
    select
        b.member_id, b.member_name, b.member_role, b.customer_id, c.city_code, c.district_code,
        c.manager_id, b.due_day,
        (b.due_day - (cfg.window_days - 1))::date as window_start, cfg.service_code
    from birthdays as b
    inner join customers as c on c.customer_id = b.customer_id
    cross join cfg
    where c.onboard_date <= b.due_day
),

tiered as (
    select o.*, ts.tier
    from obligation as o
    inner join tier_spans as ts
        on ts.customer_id = o.customer_id and o.due_day >= ts.span_from and o.due_day < ts.span_to
),

greeting_logs as (
    select l.member_id, l.record_id, l.service_time::date as day
    from service_logs as l
    where l.status = 'completed' and l.member_id is not null
        and l.service_code = (select service_code from cfg)
        -- a greeting window reaches back before its year (8 days by default; a year at most)
        and l.service_time >= make_date($year_from::int - 1, 1, 1)
        and l.service_time < make_date($year_to::int + 1, 1, 1)
),

evidence as (
    select t.member_id, t.due_day, count(l.record_id) as records, min(l.record_id) as first_record
    from tiered as t
    inner join greeting_logs as l
        on l.member_id = t.member_id and l.day between t.window_start and t.due_day
    group by all
)

select t.*, coalesce(e.records, 0) as records, e.first_record
from tiered as t
left join evidence as e on e.member_id = t.member_id and e.due_day = t.due_day
