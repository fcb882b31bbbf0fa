-- The personal identifiers of German and US payroll on the employee's
-- master data (hr.Employee.TaxID, SocialInsuranceNumber, SSN), compact, ''
-- when not known; hr checks their check digits. Released: never edit; add a
-- new numbered file instead.

ALTER TABLE bo_hr_employee_versions ADD COLUMN tax_id TEXT COLLATE "C" NOT NULL DEFAULT ''
    CHECK (tax_id = '' OR tax_id ~ '^[0-9]{11}$');
ALTER TABLE bo_hr_employee_versions ADD COLUMN social_insurance_number TEXT COLLATE "C" NOT NULL DEFAULT ''
    CHECK (social_insurance_number = '' OR social_insurance_number ~ '^[0-9]{8}[A-Z][0-9]{3}$');
ALTER TABLE bo_hr_employee_versions ADD COLUMN ssn TEXT COLLATE "C" NOT NULL DEFAULT ''
    CHECK (ssn = '' OR ssn ~ '^[0-9]{9}$');
