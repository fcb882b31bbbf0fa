-- A Form W-4 may claim exemption from federal income-tax withholding
-- (hr.USTax.Exempt). Released: never edit; add a new numbered file instead.

ALTER TABLE bo_hr_tax_profiles ADD COLUMN us_exempt BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE bo_hr_tax_profiles ADD CONSTRAINT bo_hr_tax_profiles_us_exempt_check
    CHECK (NOT us_exempt OR (jurisdiction = 'US' OR jurisdiction LIKE 'US-%'));
