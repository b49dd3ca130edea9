-- greeting_items(date_from, date_to, as_of, scope_city, scope_district): the birthday greeting obligations of a
-- window with their status (SPEC §3 member standard, §5). A table macro stored in the database.
-- Reads greeting_obligations (queries/build/greeting_obligations.sql: one row per important member and birthday,
-- with the greeting records of its 8-day window, which may reach back before date_from).
--   * an obligation belongs to the window when its birthday (due_day) lies inside it;
--   * open while the birthday is after as_of; otherwise met when a greeting record names the member, else missed.
-- scope_city / scope_district (null = no limit) are the reader's scope (SPEC §7).
create or replace macro greeting_items(date_from, date_to, as_of, scope_city, scope_district) as table
select
    g.*,
    case
        when g.due_day > as_of::date then 'open'
        when g.records > 0 then 'met'
        else 'missed'
    end as status
from greeting_obligations as g
where g.due_day between date_from::date and date_to::date
    and (scope_city is null or g.city_code = scope_city)
    and (scope_district is null or g.district_code = scope_district)
