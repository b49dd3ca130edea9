-- Which standard applies to each (city, tier, service) from which day on (SPEC §3, §5).
-- Parameters: $version (the standards version to resolve).
-- Rule: on a day d the city's override row with the latest effective_from <= d wins, whatever its
-- requirement; with no override in effect, the province row with the latest effective_from <= d applies.
-- An empty effective_from means "always" (stored as null, read here as 0001-01-01).
-- Each applicable row holds from its boundary day up to the next boundary of the same (city, tier, service).
with std as (
    select *, coalesce(effective_from, date '0001-01-01') as eff
    from standards
    where version = $version
),

cities as (
    select distinct coalesce(city_code, '') as city_code from customers
    union
    select distinct city_code from std where city_code is not null
),

-- the days on which the applicable row can change for a city: any province date, or the city's own dates
bounds as (
    select distinct c.city_code, s.tier, s.service_code, s.eff as day
    from cities as c
    inner join std as s on s.city_code is null or s.city_code = c.city_code
),

applicable as (
    select
        b.city_code, b.tier, b.service_code, b.day,
        s.requirement, s.n, s.period_months, s.responsible_role, s.line as source_line,
        s.city_code is not null as is_override
    from bounds as b
    inner join std as s
        on s.tier = b.tier and s.service_code = b.service_code
        and (s.city_code is null or s.city_code = b.city_code) and s.eff <= b.day
    qualify row_number() over (
        partition by b.city_code, b.tier, b.service_code, b.day
        order by s.city_code is not null desc, s.eff desc
    ) = 1
)

select
    city_code, tier, service_code,
    day as seg_from,
    lead(day, 1, date '9999-12-31') over (partition by city_code, tier, service_code order by day) as seg_to,
    requirement, n, period_months, responsible_role, source_line, is_override
from applicable
