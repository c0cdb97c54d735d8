-- CCPA: a project user's opt-out of the sale or sharing of their data, exposed to policies and
-- functions as the claim ccpa_opt_out (when the project has ccpa_enabled).
ALTER TABLE koyalite.users ADD COLUMN data_sale_opt_out boolean NOT NULL DEFAULT false;
