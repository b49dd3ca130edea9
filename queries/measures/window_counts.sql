-- window_counts(date_from, date_to, scope_city, scope_district): the rows of obligation_counts (obligations and
-- met ones counted per group and period) of the periods lying entirely inside [date_from, date_to], within the
-- reader's scope (scope_city / scope_district, null = no limit; SPEC §7). A table macro stored in the database:
-- what report compliance, the heatmap matrix, the two-district comparison and the monthly trend sum, so that a
-- window and a scope mean the same rows in each.
create or replace macro window_counts(date_from, date_to, scope_city, scope_district) as table
select *
from obligation_counts
where period_start >= date_from::date
    and period_end <= date_to::date
    and (scope_city is null or city_code = scope_city)
    and (scope_district is null or district_code = scope_district)
