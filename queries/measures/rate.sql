-- rate(num, den): the one rate rule of the product (SPEC §8): num / den as a fraction with 4 decimals, rounded
-- half away from zero in exact integer arithmetic, as DECIMAL(18,4); null when den is 0 or null. Every rate —
-- the reports, heatmaps, scorecards, trends — is this macro, and pages show it x100 with one decimal rounded
-- half away from zero (supervision/display.percent), so a page never disagrees with `report` at an edge.
-- A scalar macro stored in the database; num and den are counts (>= 0).
create or replace macro rate(num, den) as
    case
        when coalesce(den, 0) = 0 then null
        else (((num::hugeint * 20000 + den) // (2 * den::hugeint)) / 10000)::decimal(18, 4)
    end;
