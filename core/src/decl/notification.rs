//! DMS notifications: what the customs authority answers to a declaration.
//!
//! Notifications (`MetaData/Response`) come with or without namespaces in the wild; the
//! reader takes both. The model keeps what later stages reconcile against: the tax lines of
//! a tax calculation (DMSTAX), the errors and pointers of a rejection (DMSREJ), the status.

use serde::Serialize;

use super::dms::{self, Declaration};
use super::model::model;
use super::schema::{ElementKind, LeafKind, SchemaNode};
use super::value::{DateTime, Text};
use super::xml::{Cursor, Element, Frame, Ns, Stop, Tag};
use crate::source::NodeId;

model! {
    /// A `Pointer` to an element of the declaration: the WCO class ids of its ancestors
    /// (`DocumentSectionCode`), the sequence number of the repeated one, and the WCO id of
    /// the element (`TagID`).
    pub struct Pointer {
        /// `SequenceNumeric`.
        sequence_numeric: numeric = "SequenceNumeric",
        /// `DocumentSectionCode`: WCO class id, e.g. `42A` declaration, `68A` goods item.
        document_section_code: text = "DocumentSectionCode",
        /// `TagID`: WCO element id, e.g. `006`.
        tag_id: text = "TagID",
    }
}

model! {
    /// A `Response/AdditionalInformation` statement.
    pub struct ResponseInformation {
        /// `StatementCode`.
        statement_code: text = "StatementCode",
        /// `StatementDescription`.
        statement_description: text = "StatementDescription",
        /// `LimitDateTime`.
        limit_date_time: date_time = "LimitDateTime",
        /// `StatementTypeCode`.
        statement_type_code: text = "StatementTypeCode",
        /// `Pointer`s.
        pointers: many Pointer = "Pointer",
    }
}

model! {
    /// A `Response/Amendment`.
    pub struct ResponseAmendment {
        /// `ChangeReasonCode`.
        change_reason_code: text = "ChangeReasonCode",
        /// `Pointer`s.
        pointers: many Pointer = "Pointer",
    }
}

model! {
    /// An office (`AppealOffice`).
    pub struct ResponseOffice {
        /// `ID`.
        id: text = "ID",
    }
}

model! {
    /// A bank (`Bank`).
    pub struct Bank {
        /// `ReferenceID`.
        reference_id: text = "ReferenceID",
        /// `ID`.
        id: text = "ID",
    }
}

model! {
    /// A `Communication`.
    pub struct Communication {
        /// `ID`.
        id: text = "ID",
        /// `TypeCode`.
        type_code: text = "TypeCode",
    }
}

model! {
    /// A `ContactOffice`.
    pub struct ContactOffice {
        /// `ID`.
        id: text = "ID",
        /// `Communication`s.
        communications: many Communication = "Communication",
    }
}

model! {
    /// An `Error` of a rejection.
    pub struct ResponseError {
        /// `Description`.
        description: text = "Description",
        /// `ValidationCode`: the CDS error code, e.g. `CDS12050`.
        validation_code: text = "ValidationCode",
        /// `Pointer`s to the element in error.
        pointers: many Pointer = "Pointer",
    }
}

model! {
    /// A `Status`.
    pub struct Status {
        /// `EffectiveDateTime`.
        effective_date_time: date_time = "EffectiveDateTime",
        /// `NameCode`.
        name_code: text = "NameCode",
        /// `ReleaseDateTime`.
        release_date_time: date_time = "ReleaseDateTime",
        /// `Pointer`s.
        pointers: many Pointer = "Pointer",
    }
}

model! {
    /// A guarantee reference of a payment.
    pub struct PaymentGuarantee {
        /// `ReferenceID`.
        reference_id: text = "ReferenceID",
    }
}

model! {
    /// A `Payment`.
    pub struct Payment {
        /// `ReferenceID`.
        reference_id: text = "ReferenceID",
        /// `TaxAssessedAmount`: the tax calculated.
        tax_assessed_amount: amount = "TaxAssessedAmount",
        /// `DueDateTime`.
        due_date_time: date_time = "DueDateTime",
        /// `PaymentAmount`: the amount to pay.
        payment_amount: amount = "PaymentAmount",
        /// `ObligationGuarantee`s.
        obligation_guarantees: many PaymentGuarantee = "ObligationGuarantee",
    }
}

model! {
    /// A tax line calculated by the authority (`Commodity/DutyTaxFee`).
    pub struct TaxLine {
        /// `AdValoremTaxBaseAmount`: the value the rate applies to.
        ad_valorem_tax_base_amount: amount = "AdValoremTaxBaseAmount",
        /// `DeductAmount`.
        deduct_amount: amount = "DeductAmount",
        /// `DutyRegimeCode`: the preference (DE 4/17).
        duty_regime_code: text = "DutyRegimeCode",
        /// `SpecificTaxBaseQuantity`: the quantity a specific rate applies to.
        specific_tax_base_quantity: measure = "SpecificTaxBaseQuantity",
        /// `TaxRateNumeric`: the rate (a percentage for ad valorem lines).
        tax_rate_numeric: numeric = "TaxRateNumeric",
        /// `TypeCode`: the tax type (A00 customs duty, B00 VAT, ...).
        type_code: text = "TypeCode",
        /// `Payment`.
        payment: one Payment = "Payment",
    }
}

model! {
    /// A `Commodity` of a notification's goods item.
    pub struct ResponseCommodity {
        /// `DutyTaxFee`: the tax lines.
        tax_lines: many TaxLine = "DutyTaxFee",
    }
}

model! {
    /// A goods item of a notification.
    pub struct ResponseGoodsItem {
        /// `SequenceNumeric`: the item number in the declaration.
        sequence_numeric: numeric = "SequenceNumeric",
        /// `Commodity`.
        commodity: one ResponseCommodity = "Commodity",
    }
}

model! {
    /// The `GoodsShipment` of a notification.
    pub struct ResponseGoodsShipment {
        /// `GovernmentAgencyGoodsItem`s.
        goods_items: many ResponseGoodsItem = "GovernmentAgencyGoodsItem",
    }
}

model! {
    /// A declaration-level `DutyTaxFee` of a notification (totals to pay).
    pub struct ResponseDutyTaxFee {
        /// `Payment`.
        payment: one Payment = "Payment",
    }
}

model! {
    /// The `Declaration` a notification is about.
    pub struct ResponseDeclaration {
        /// `AcceptanceDateTime`.
        acceptance_date_time: date_time = "AcceptanceDateTime",
        /// `CancellationDateTime`.
        cancellation_date_time: date_time = "CancellationDateTime",
        /// `FunctionalReferenceID`: the LRN.
        functional_reference_id: text = "FunctionalReferenceID",
        /// `ID`: the MRN.
        id: text = "ID",
        /// `RejectionDateTime`.
        rejection_date_time: date_time = "RejectionDateTime",
        /// `VersionID`.
        version_id: text = "VersionID",
        /// `DutyTaxFee`s (declaration-level payments).
        duty_tax_fees: many ResponseDutyTaxFee = "DutyTaxFee",
        /// `GoodsShipment`.
        goods_shipment: one ResponseGoodsShipment = "GoodsShipment",
    }
}

/// One `Response` of a notification.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Response {
    /// The element this was read from.
    #[serde(skip)]
    pub node: NodeId,
    /// `FunctionCode`: 01 accepted, 03 rejected, 09 cleared, 13 tax calculation, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function_code: Option<Text>,
    /// `FunctionalReferenceID`: the notification's own reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub functional_reference_id: Option<Text>,
    /// `IssueDateTime`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_date_time: Option<DateTime>,
    /// `AdditionalInformation` statements.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub additional_information: Vec<ResponseInformation>,
    /// `Amendment`s.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub amendments: Vec<ResponseAmendment>,
    /// `AppealOffice`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appeal_office: Option<ResponseOffice>,
    /// `Bank`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank: Option<Bank>,
    /// `ContactOffice`s.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contact_offices: Vec<ContactOffice>,
    /// `Error`s of a rejection.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ResponseError>,
    /// `Status`es.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<Status>,
    /// `Declaration`: which declaration the response is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declaration: Option<ResponseDeclaration>,
    /// The second `Declaration` (`od:Declaration`, in the declaration namespace): the parts of
    /// the original declaration the response refers to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_declaration: Option<Declaration>,
}

const TEXT: ElementKind = ElementKind::Leaf(LeafKind::Text);
const DATE_TIME: ElementKind = ElementKind::Leaf(LeafKind::DateTime);

macro_rules! lenient_node {
    ($name:literal, $kind:expr, $max:expr) => {{
        static NODE: SchemaNode = SchemaNode::lenient($name, $kind, $max);
        Some(&NODE)
    }};
}

impl Element for Response {
    fn set_node(&mut self, node: NodeId) {
        self.node = node;
    }

    fn wants_foreign(tag: &Tag<'_>) -> bool {
        tag.local() == "Declaration" && tag.ns == Ns::Declaration
    }

    fn read_child(
        &mut self,
        cx: &mut Cursor<'_>,
        frame: &mut Frame,
        _schema: &'static SchemaNode,
        tag: &Tag<'_>,
    ) -> Result<(), Stop> {
        match tag.local() {
            "FunctionCode" => cx.leaf(
                frame,
                tag,
                lenient_node!("FunctionCode", TEXT, Some(1)),
                &mut self.function_code,
            ),
            "FunctionalReferenceID" => cx.leaf(
                frame,
                tag,
                lenient_node!("FunctionalReferenceID", TEXT, Some(1)),
                &mut self.functional_reference_id,
            ),
            "IssueDateTime" => cx.date_time(
                frame,
                tag,
                lenient_node!("IssueDateTime", DATE_TIME, Some(1)),
                &mut self.issue_date_time,
            ),
            "AdditionalInformation" => cx.repeated(
                frame,
                tag,
                lenient_node!("AdditionalInformation", ElementKind::Class, None),
                &mut self.additional_information,
            ),
            "Amendment" => cx.repeated(
                frame,
                tag,
                lenient_node!("Amendment", ElementKind::Class, None),
                &mut self.amendments,
            ),
            "AppealOffice" => cx.class(
                frame,
                tag,
                lenient_node!("AppealOffice", ElementKind::Class, Some(1)),
                &mut self.appeal_office,
            ),
            "Bank" => cx.class(
                frame,
                tag,
                lenient_node!("Bank", ElementKind::Class, Some(1)),
                &mut self.bank,
            ),
            "ContactOffice" => cx.repeated(
                frame,
                tag,
                lenient_node!("ContactOffice", ElementKind::Class, None),
                &mut self.contact_offices,
            ),
            "Error" => cx.repeated(
                frame,
                tag,
                lenient_node!("Error", ElementKind::Class, None),
                &mut self.errors,
            ),
            "Status" => cx.repeated(
                frame,
                tag,
                lenient_node!("Status", ElementKind::Class, None),
                &mut self.statuses,
            ),
            "Declaration" if tag.ns == Ns::Declaration || self.declaration.is_some() => {
                // The original declaration is in the declaration namespace (or, in notifications
                // published without namespaces, is the second `Declaration`).
                let (data_ns, ds_ns) = (cx.data_ns, cx.ds_ns);
                if tag.ns == Ns::Declaration {
                    cx.data_ns = Ns::Declaration;
                    cx.ds_ns = Ns::DeclarationDs;
                }
                let result =
                    cx.class(frame, tag, dms::SCHEMA.first(), &mut self.original_declaration);
                cx.data_ns = data_ns;
                cx.ds_ns = ds_ns;
                result
            }
            "Declaration" => cx.class(
                frame,
                tag,
                lenient_node!("Declaration", ElementKind::Class, Some(1)),
                &mut self.declaration,
            ),
            _ => cx.unknown(frame, tag),
        }
    }

    fn finish(&self, _cx: &mut Cursor<'_>, _schema: &'static SchemaNode) {}
}

impl Response {
    /// The kind of notification its function code stands for.
    #[must_use]
    pub fn kind(&self) -> NotificationKind {
        NotificationKind::from_function_code(self.function_code.as_ref().map_or("", Text::as_str))
    }
}

/// What a notification says, by its function code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum NotificationKind {
    /// 01: the declaration was accepted.
    Accepted,
    /// 02: the declaration was received.
    Received,
    /// 03: the declaration was rejected.
    Rejected,
    /// 05: the goods are under customs control.
    UnderControl,
    /// 06: documents are required.
    DocumentsRequired,
    /// 07: the goods are released.
    Released,
    /// 08: goods arrival recorded.
    GoodsArrived,
    /// 09: the declaration is cleared.
    Cleared,
    /// 10: the declaration was invalidated (cancelled).
    Invalidated,
    /// 11: a request was answered.
    Request,
    /// 13: duties and taxes were calculated.
    TaxCalculation,
    /// 14: a customs position was issued.
    CustomsPosition,
    /// 16: end of goods.
    EndOfGoods,
    /// Any other function code.
    Other,
}

impl NotificationKind {
    /// The kind for a `Response/FunctionCode`.
    #[must_use]
    pub fn from_function_code(code: &str) -> NotificationKind {
        match code {
            "01" => NotificationKind::Accepted,
            "02" => NotificationKind::Received,
            "03" => NotificationKind::Rejected,
            "05" => NotificationKind::UnderControl,
            "06" => NotificationKind::DocumentsRequired,
            "07" => NotificationKind::Released,
            "08" => NotificationKind::GoodsArrived,
            "09" => NotificationKind::Cleared,
            "10" => NotificationKind::Invalidated,
            "11" => NotificationKind::Request,
            "13" => NotificationKind::TaxCalculation,
            "14" => NotificationKind::CustomsPosition,
            "16" => NotificationKind::EndOfGoods,
            _ => NotificationKind::Other,
        }
    }

    /// The DMS message name (`DMSACC`, `DMSTAX`, ...).
    #[must_use]
    pub fn message_name(self) -> &'static str {
        match self {
            NotificationKind::Accepted => "DMSACC",
            NotificationKind::Received => "DMSRCV",
            NotificationKind::Rejected => "DMSREJ",
            NotificationKind::UnderControl => "DMSCTL",
            NotificationKind::DocumentsRequired => "DMSDOC",
            NotificationKind::Released => "DMSRES",
            NotificationKind::GoodsArrived => "DMSROG",
            NotificationKind::Cleared => "DMSCLE",
            NotificationKind::Invalidated => "DMSINV",
            NotificationKind::Request => "DMSREQ",
            NotificationKind::TaxCalculation => "DMSTAX",
            NotificationKind::CustomsPosition => "DMSCPI",
            NotificationKind::EndOfGoods => "DMSEOG",
            NotificationKind::Other => "DMS notification",
        }
    }
}
