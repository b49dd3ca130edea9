-- greeting_items(date_from, date_to, as_of, scope_city, scope_district): birthday greeting obligations
-- (SPEC §3 member standard, §5). A table macro, defined on every connection.
--   * one obligation per important member (member_role whose vocab attr is core or ordinary) per birthday
--     inside the window, when the customer was onboarded on or before the birthday;
--   * a 29 February birthday falls on 28 February in other years;
--   * met when a completed record of the greeting service names the member, dated within the greeting
--     window (settings.greeting_window_days, 8 by default: the birthday and the 7 days before it; it may
--     reach back before date_from); open while the birthday is after as_of;
--   * tier = tier in effect on the birthday; manager = the customer's account manager.
create or replace temp macro greeting_items(date_from, date_to, as_of, scope_city, scope_district) as table
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
    cross join (select unnest(range(year(date_from::date), year(date_to::date) + 1)) as y) as y
),

obligation as (
    select
        b.member_id, b.member_name, b.member_role, b.customer_id, c.city_code, c.district_code,
        c.manager_id, b.due_day,
        (b.due_day - (cfg.window_days - 1))::date as window_start, cfg.service_code
    from birthdays as b
    inner join customers as c on c.customer_id = b.customer_id
    cross join cfg
    where b.due_day between date_from::date and date_to::date
        and c.onboard_date <= b.due_day
        and (scope_city is null or c.city_code = scope_city)
        and (scope_district is null or c.district_code = scope_district)
),

tiered as (
    select o.*, coalesce(th.tier, c.tier) as tier
    from obligation as o
    inner join customers as c on c.customer_id = o.customer_id
    asof left join tier_history as th on th.customer_id = o.customer_id and o.due_day >= th.effective_from
),

evidence as (
    select t.member_id, t.due_day, count(l.record_id) as records, min(l.record_id) as first_record
    from tiered as t
    inner join service_logs as l
        on l.member_id = t.member_id and l.service_code = t.service_code and l.status = 'completed'
        and l.service_time::date between t.window_start and t.due_day
    group by all
)

select
    t.*,
    coalesce(e.records, 0) as records,
    e.first_record,
    case
        when t.due_day > as_of::date then 'open'
        when e.records > 0 then 'met'
        else 'missed'
    end as status
from tiered as t
left join evidence as e on e.member_id = t.member_id and e.due_day = t.due_day
