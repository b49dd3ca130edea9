-- compliance_items(date_from, date_to, as_of, scope_city, scope_district): the frequency obligations of a
-- window with their status (SPEC §5). A table macro, defined on every connection (supervision/db.py).
--   * only periods lying entirely inside [date_from, date_to] have obligations;
--   * a period is closed when its last day is on or before as_of, else the obligation is 'open'
--     (including periods that have not started yet);
--   * a closed obligation is 'met' when its completed records reach n, else 'missed'.
-- scope_city / scope_district (null = no limit) are the reader's scope (SPEC §7), applied here so that no
-- caller can forget them.
create or replace temp macro compliance_items(date_from, date_to, as_of, scope_city, scope_district) as table
select
    o.*,
    case
        when o.period_end > as_of::date then 'open'
        when o.completed >= o.n then 'met'
        else 'missed'
    end as status
from obligations as o
where o.period_start >= date_from::date
    and o.period_end <= date_to::date
    and (scope_city is null or o.city_code = scope_city)
    and (scope_district is null or o.district_code = scope_district)
