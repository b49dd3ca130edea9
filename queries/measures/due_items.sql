-- due_items(date_from, date_to, as_of, scope_city, scope_district): the obligations due now (SPEC §5, §6) —
-- those of a period running on the as-of date (period_start <= as_of < period_end; one ending on the as-of
-- date is closed) that are still short of their standard — with how many records are missing and how many
-- days remain. One home for the rule "due now": the due list, its summary and the manager scorecards read it.
-- date_from / date_to: the as-of date's calendar year (every period running on a day lies in its year).
create or replace macro due_items(date_from, date_to, as_of, scope_city, scope_district) as table
select
    i.*,
    i.n - i.completed as missing,
    i.period_end - as_of::date as days_left
from compliance_items(date_from, date_to, as_of, scope_city, scope_district) as i
where i.period_start <= as_of::date and i.period_end > as_of::date
    and i.completed < i.n
