-- Shape customers rows (SPEC §4): tier must be a tier of the configured scheme (not hard-coded), industry
-- labels map to codes (other values are kept as given and meet no industry criterion), onboard_date is
-- required and may take any of the four date shapes; it may be old, but not after the import date (plus a day
-- of clock slack). The optional lost_date [离网日期] (SPEC §12; '' when the export has no such column, and
-- empty = still a customer) is a date in the same shapes, not after the import date nor before onboard_date.
-- Reads `stg` (the trimmed lines of a chunk). Parameters: $latest_event (the first moment too late), $import_day.
select
    s.line, s.raw, s.nf, s.fp,
    nullif(s.customer_id, '') as customer_id,
    nullif(s.customer_name, '') as customer_name,
    t.tier as tier,
    nullif(s.city_code, '') as city_code,
    nullif(s.district_code, '') as district_code,
    nullif(s.manager_id, '') as manager_id,
    nullif(s.chief_manager_id, '') as chief_manager_id,
    coalesce(i.code, nullif(s.industry, '')) as industry,
    try_cast(nullif(s.member_count, '') as integer) as member_count,
    parse_ts(s.onboard_date)::date as onboard_date,
    parse_ts(s.lost_date)::date as lost_date,
    case
        when s.customer_id = '' then 'missing customer_id'
        when t.tier is null then 'unknown tier "' || s.tier || '"'
        when s.member_count <> '' and coalesce(try_cast(s.member_count as integer), -1) < 0
            then 'member_count "' || s.member_count || '" is not a whole number'
        when s.onboard_date = '' then 'missing onboard_date'
        when parse_ts(s.onboard_date) is null then 'onboard_date "' || s.onboard_date || '" is not a valid date'
        when parse_ts(s.onboard_date) >= $latest_event::timestamp
            then 'onboard_date "' || s.onboard_date || '" is after the import date (' || $import_day || ')'
        when s.lost_date <> '' and parse_ts(s.lost_date) is null
            then 'lost_date "' || s.lost_date || '" is not a valid date'
        when parse_ts(s.lost_date) >= $latest_event::timestamp
            then 'lost_date "' || s.lost_date || '" is after the import date (' || $import_day || ')'
        when parse_ts(s.lost_date)::date < parse_ts(s.onboard_date)::date then 'lost_date is before onboard_date'
    end as reason
from stg as s
-- a tier of the scheme, or a former name of one (tier_aliases: a scheme switched by `config load`)
left join (select tier, tier as name from tiers union all select tier, alias from tier_aliases) as t on t.name = s.tier
left join vocab as i on i.domain = 'industry' and i.alias = lower(s.industry)
