-- Shape tier_history rows (SPEC §4, §5): the key is (customer_id, effective_from) on the date it stands for;
-- the customer must be accepted in this import or already stored; the date may be old, but not after the import
-- date (plus a day of clock slack). Reads `stg` (the trimmed lines of a chunk). Parameters: $latest_event, $import_day.
select
    s.line, s.raw, s.nf, s.fp,
    nullif(s.customer_id, '') as customer_id,
    t.tier as tier,
    parse_ts(s.effective_from)::date as effective_from,
    case
        when s.customer_id = '' then 'missing customer_id'
        when t.tier is null then 'unknown tier "' || s.tier || '"'
        when s.effective_from = '' then 'missing effective_from'
        when parse_ts(s.effective_from) is null
            then 'effective_from "' || s.effective_from || '" is not a valid date'
        when parse_ts(s.effective_from) >= $latest_event::timestamp
            then 'effective_from "' || s.effective_from || '" is after the import date (' || $import_day || ')'
        when c.customer_id is null then 'unknown customer ' || s.customer_id
    end as reason
from stg as s
-- a tier of the scheme, or a former name of one (tier_aliases: a scheme switched by `config load`)
left join (select tier, tier as name from tiers union all select tier, alias from tier_aliases) as t on t.name = s.tier
left join (select distinct customer_id from customers) as c on c.customer_id = s.customer_id
