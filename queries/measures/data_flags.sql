-- data_flags(as_of, scope_city, scope_district): districts and managers whose data is not complete enough to
-- believe their rates (SPEC §10 数据完整性). A table macro stored in the database.
--   * weeks: the 8 full ISO weeks (Monday..Sunday) before the as-of date's own week;
--   * per district (the customer's district) and per manager (service_logs.manager_id): completed service
--     records per week, weeks without a record counted as 0, and the median of the 8 weeks;
--   * gap: a week with no record where the group's median week has at least 5;
--   * spike: a week with more than 3 x the median records and at least 20;
--   * stale (districts only): the latest completed record on or before the as-of date is more than 7 days
--     before it (exactly 7 is not stale); a district with customers and no record at all is stale too.
-- Only records of customers inside scope_city / scope_district (null = no limit) count, and only groups inside
-- it are listed (a manager: responsible for, or recording for, a customer in it).
-- One row per flag: level ('district' | 'manager'), code, flag ('gap' | 'spike' | 'stale'), week_start (null for
-- stale), records (that week's), median, latest (the latest record day, for stale).
create or replace macro data_flags(as_of, scope_city, scope_district) as table
with bounds as (
    select (as_of::date - (isodow(as_of::date) - 1)::integer) as this_monday
),

weeks as (
    select b.this_monday - (7 * w.i)::integer as week_start
    from bounds as b, range(1, 9) as w(i)
),

-- the completed records of the 8 weeks, of customers in scope (a filter on service_time itself, so that only
-- those weeks of the logs are read)
recent as (
    select l.manager_id, c.district_code, (l.service_time::date - (isodow(l.service_time::date) - 1)::integer)::date
        as week_start
    from service_logs as l
    inner join customers as c on c.customer_id = l.customer_id
    where l.status = 'completed'
        and l.service_time >= ((select this_monday from bounds) - 56)::timestamp
        and l.service_time < (select this_monday from bounds)::timestamp
        and (scope_city is null or c.city_code = scope_city)
        and (scope_district is null or c.district_code = scope_district)
),

groups as (
    select distinct 'district' as level, district_code as code
    from customers
    where (scope_city is null or city_code = scope_city)
        and (scope_district is null or district_code = scope_district)
    union
    select distinct 'manager', manager_id from recent where manager_id is not null
),

counted as (
    select 'district' as level, district_code as code, week_start, count(*) as records
    from recent
    group by all
    union all
    select 'manager', manager_id, week_start, count(*)
    from recent
    where manager_id is not null
    group by all
),

weekly as (
    select g.level, g.code, w.week_start, coalesce(c.records, 0) as records
    from groups as g
    cross join weeks as w
    left join counted as c on c.level = g.level and c.code = g.code and c.week_start = w.week_start
),

judged as (
    select *, median(records) over (partition by level, code) as median
    from weekly
),

-- a district's latest completed record of its customers on or before the as-of date, from the record days per
-- district (built at import), not from every service log
latest as (
    select district_code as code, max(day) as latest
    from district_days
    where day <= as_of::date
        and (scope_city is null or city_code = scope_city)
        and (scope_district is null or district_code = scope_district)
    group by all
)

select level, code, 'gap' as flag, week_start, records, median, null::date as latest
from judged
where records = 0 and median >= 5

union all

select level, code, 'spike', week_start, records, median, null::date
from judged
where records > 3 * median and records >= 20

union all

select 'district', g.code, 'stale', null::date, null::bigint, null::double, l.latest
from groups as g
left join latest as l on l.code = g.code
where g.level = 'district' and (l.latest is null or as_of::date - l.latest > 7)
