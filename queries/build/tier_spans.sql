-- The tier of every customer on every day (SPEC §5), as spans [span_from, span_to): the tier in effect on a day
-- is the tier of the customer's tier_history row with the latest effective_from on or before that day; before
-- its first row (or with none) it is the tier in `customers`. No parameters.
-- Every customer's spans cover 0001-01-01 .. 9999-12-31 without gap or overlap, so "the tier on day d" is an
-- equi-join on customer_id with span_from <= d < span_to (portable, and far cheaper than an ASOF join).
with history as (
    select
        customer_id, tier, effective_from,
        lead(effective_from, 1, date '9999-12-31') over (partition by customer_id order by effective_from) as next_from,
        row_number() over (partition by customer_id order by effective_from) as k
    from tier_history
)

select c.customer_id, c.tier, date '0001-01-01' as span_from, coalesce(h.effective_from, date '9999-12-31') as span_to
from customers as c
left join history as h on h.customer_id = c.customer_id and h.k = 1
union all
select customer_id, tier, effective_from as span_from, next_from as span_to
from history
