-- A Form W-4 may claim exemption from federal income-tax withholding
-- (hr.USTax.Exempt). Released: never edit; add a new numbered file instead.

ALTER TABLE bo_hr_tax_profiles ADD COLUMN us_exempt INTEGER NOT NULL DEFAULT 0 CHECK (us_exempt IN (0, 1));
