-- The personal identifiers of German and US payroll on the employee's
-- master data (hr.Employee.TaxID, SocialInsuranceNumber, SSN), compact, ''
-- when not known; hr checks their check digits. Released: never edit; add a
-- new numbered file instead.

ALTER TABLE bo_hr_employee_versions ADD COLUMN tax_id TEXT NOT NULL DEFAULT ''
    CHECK (tax_id = '' OR (length(tax_id) = 11 AND tax_id NOT GLOB '*[^0-9]*'));
ALTER TABLE bo_hr_employee_versions ADD COLUMN social_insurance_number TEXT NOT NULL DEFAULT ''
    CHECK (social_insurance_number = '' OR social_insurance_number GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][A-Z][0-9][0-9][0-9]');
ALTER TABLE bo_hr_employee_versions ADD COLUMN ssn TEXT NOT NULL DEFAULT ''
    CHECK (ssn = '' OR (length(ssn) = 9 AND ssn NOT GLOB '*[^0-9]*'));
