-- overservice_items(date_from, date_to, as_of, scope_city, scope_district): over-service records inside the
-- window and on or before as_of (SPEC §3 eligibility, §5). A table macro stored in the database.
-- Reads overservice_records (queries/build/overservice_records.sql: completed records of a service whose
-- standard for the customer's tier on the service day is not_entitled, with the record's own manager_id).
create or replace macro overservice_items(date_from, date_to, as_of, scope_city, scope_district) as table
select o.*
from overservice_records as o
where o.service_time::date between date_from::date and date_to::date
    and o.service_time::date <= as_of::date
    and (scope_city is null or o.city_code = scope_city)
    and (scope_district is null or o.district_code = scope_district)
