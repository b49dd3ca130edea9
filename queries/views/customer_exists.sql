-- Whether a customer id exists at all (any scope): tells "not permitted" apart from "not found" (SPEC §7).
-- Parameters: $customer. Returns the id only, never the customer's data.
select customer_id from customers where customer_id = $customer
