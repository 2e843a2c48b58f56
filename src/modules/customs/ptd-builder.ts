// PtdExportRequest → PassengerDeclaration (1006300E) XML, with xmlbuilder2 (escaping is the builder's: & < > and
// quotes in text never reach the output raw). Elements are written in the album's xs:sequence order, each in the
// namespace of the schema that declares it; optional elements without a value are left out, never written empty;
// text is folded to one line (the album's token types collapse whitespace anyway); decimals are written with a
// dot and without an exponent; the album's own spellings (CounryName, EngineVolumeQuanity…) are kept.
// Every element written records the request field it came from, so an XSD complaint (which names a line of the
// pretty-printed document) is reported against that field.
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Namespaces, Prefix } from './xsd.js';
import type { PtdGoods, PtdRequest, PtdVehicle } from './ptd-contract.js';

export const DOCUMENT_MODE_ID = '1006300E';
/** ОКЕИ: 111 cubic centimetre, 166 kilogram. */
const CM3 = { name: 'СМ3', code: '111' };
const KG = { name: 'КГ', code: '166' };

export interface BuildOptions {
  readonly namespaces: Namespaces;
  readonly documentId: string;
  readonly createdAt: string;
  readonly edocCode: string;
}

export interface BuiltPtd {
  readonly xml: string;
  /** The request field of each element, in document order (the root first). */
  readonly fields: readonly string[];
}

/** One line, single spaces, no edges: what an album token type would make of it anyway. */
export const fold = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** A decimal with at most `places` fraction digits, a dot, no exponent and no trailing zeros. */
export function decimal(x: number, places: number): string {
  const s = x.toFixed(places);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * Splits text into at most `count` parts of `size` characters (code points, as XSD lengths count, so never inside a
 * surrogate pair): at spaces where that fits, else hard (the schema bounds the text to size × count characters).
 */
export function parts(s: string, size: number, count: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of s.split(' ')) {
    const joined = current ? `${current} ${word}` : word;
    if (Array.from(joined).length <= size) current = joined;
    else {
      if (current) out.push(current);
      current = word;
      if (Array.from(word).length > size) break;
    }
  }
  if (current) out.push(current);
  if (out.length <= count && out.every((p) => Array.from(p).length <= size)) return out;
  const chars = Array.from(s);
  const hard: string[] = [];
  for (let i = 0; i < chars.length; i += size) hard.push(chars.slice(i, i + size).join(''));
  return hard;
}

type Value = string | number | boolean | undefined;

class Out {
  constructor(
    private readonly node: XMLBuilder,
    private readonly ns: Namespaces,
    readonly fields: string[],
  ) {}

  el(p: Prefix, name: string, field: string, fill: (o: Out) => void): void {
    this.fields.push(field);
    fill(new Out(this.node.ele(this.ns[p], `${p}:${name}`), this.ns, this.fields));
  }

  /** A leaf; left out when there is no value (a required one is written even empty, so the XSD names it). */
  leaf(p: Prefix, name: string, value: Value, field: string, required = false): void {
    const text = typeof value === 'string' ? fold(value) : value === undefined ? '' : String(value);
    if (text === '' && !required) return;
    this.fields.push(field);
    this.node.ele(this.ns[p], `${p}:${name}`).txt(text);
  }

  measure(p: Prefix, name: string, value: number | undefined, unit: { name?: string; code: string }, field: string): void {
    if (value === undefined) return;
    this.el(p, name, field, (m) => {
      m.leaf('catESAD_cu', 'MeasuredAmount', decimal(value, 6), field);
      m.leaf('catESAD_cu', 'MeasureUnitQualifierName', unit.name, field);
      m.leaf('catESAD_cu', 'MeasureUnitQualifierCode', unit.code, field);
    });
  }

  money(name: string, m: { amount: number; currency: string }, field: string): void {
    this.el('pas_d', name, field, (c) => {
      c.leaf('RUScat_ru', 'Amount', m.amount.toFixed(2), `${field}.amount`, true);
      c.leaf('RUScat_ru', 'CurrencyCode', m.currency, `${field}.currency`, true);
    });
  }

  document(name: string, d: { name?: string; number: string; date: string }, field: string): void {
    this.el('RUDECLcat', name, field, (c) => {
      c.leaf('cat_ru', 'PrDocumentName', d.name, `${field}.name`);
      c.leaf('cat_ru', 'PrDocumentNumber', d.number, `${field}.number`, true);
      c.leaf('cat_ru', 'PrDocumentDate', d.date, `${field}.date`, true);
    });
  }
}

export function buildPtd(req: PtdRequest, opts: BuildOptions): BuiltPtd {
  const ns = opts.namespaces;
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(ns.pas_d, 'pas_d:PassengerDeclaration');
  root.att('DocumentModeID', DOCUMENT_MODE_ID);
  for (const [prefix, uri] of Object.entries(ns)) root.att('http://www.w3.org/2000/xmlns/', `xmlns:${prefix}`, uri);
  const out = new Out(root, ns, ['']);

  out.leaf('cat_ru', 'DocumentID', opts.documentId, 'documentId', true);
  out.el('pas_d', 'EECEDocHeaderAddInfo', 'createdAt', (h) => {
    h.leaf('RUScat_ru', 'EDocCode', opts.edocCode, 'createdAt', true);
    h.leaf('RUScat_ru', 'EDocDateTime', opts.createdAt, 'createdAt', true);
  });
  out.leaf('pas_d', 'MovingCode', req.movingCode, 'movingCode', true);
  out.leaf('pas_d', 'ElectronicDocumentSign', 'ЭД', 'movingCode', true);
  declarant(out, req.declarant);
  out.leaf('pas_d', 'MinorPersonQuantity', req.minorsCount, 'minorsCount');
  out.el('pas_d', 'GoodsShipmentDetails', 'vehicles', (s) => {
    if (req.goods) goods(s, req.goods);
    if (req.vehicles) vehicles(s, req.vehicles);
  });
  filledBy(out, req.filledBy);
  out.leaf('pas_d', 'TransportModeCode', req.arrivalTransportMode, 'arrivalTransportMode');
  return { xml: root.end({ prettyPrint: true }), fields: out.fields };
}

function declarant(out: Out, d: PtdRequest['declarant']): void {
  const at = 'declarant';
  out.el('pas_d', 'DeclarantPerson', at, (p) => {
    p.leaf('pas_d', 'PersonSurname', d.lastName, `${at}.lastName`, true);
    p.leaf('pas_d', 'PersonName', d.firstName, `${at}.firstName`, true);
    p.leaf('pas_d', 'PersonMiddleName', d.middleName, `${at}.middleName`);
    p.leaf('pas_d', 'INN', d.inn, `${at}.inn`);
    const doc = d.identityDoc;
    const di = `${at}.identityDoc`;
    p.el('pas_d', 'PersonIdCard', di, (c) => {
      c.leaf('RUScat_ru', 'IdentityCardCode', doc.code, `${di}.code`);
      c.leaf('RUScat_ru', 'IdentityCardName', doc.name, `${di}.name`);
      c.leaf('RUScat_ru', 'IdentityCardSeries', doc.series, `${di}.series`);
      c.leaf('RUScat_ru', 'IdentityCardNumber', doc.number, `${di}.number`, true);
      c.leaf('RUScat_ru', 'IdentityCardDate', doc.issueDate, `${di}.issueDate`);
      c.leaf('RUScat_ru', 'DocValidityDate', doc.validUntil, `${di}.validUntil`);
      c.leaf('RUScat_ru', 'OrganizationName', doc.issuedBy, `${di}.issuedBy`);
      c.leaf('RUScat_ru', 'IssuerCode', doc.issuerCode, `${di}.issuerCode`);
      c.leaf('RUScat_ru', 'CountryCode', doc.country, `${di}.country`, true);
    });
    d.addresses.forEach((a, i) => {
      const ai = `${at}.addresses.${i}`;
      p.el('pas_d', 'Address', ai, (c) => {
        c.leaf('RUScat_ru', 'AddressKindCode', a.kind, `${ai}.kind`, true);
        c.leaf('RUScat_ru', 'PostalCode', a.postalCode, `${ai}.postalCode`);
        c.leaf('RUScat_ru', 'CountryCode', a.country, `${ai}.country`, true);
        c.leaf('RUScat_ru', 'CounryName', a.countryName, `${ai}.countryName`); // sic: the album's spelling
        c.leaf('RUScat_ru', 'Region', a.region, `${ai}.region`);
        c.leaf('RUScat_ru', 'District', a.district, `${ai}.district`);
        c.leaf('RUScat_ru', 'Town', a.town, `${ai}.town`);
        c.leaf('RUScat_ru', 'City', a.city, `${ai}.city`);
        c.leaf('RUScat_ru', 'StreetHouse', a.street, `${ai}.street`);
        c.leaf('RUScat_ru', 'House', a.house, `${ai}.house`);
        c.leaf('RUScat_ru', 'Room', a.room, `${ai}.room`);
        c.leaf('RUScat_ru', 'AddressText', a.text, `${ai}.text`);
      });
    });
    p.leaf('pas_d', 'BirthDate', d.birthDate, `${at}.birthDate`);
    const country = (name: string, code: string | undefined, field: string) => {
      if (code !== undefined) p.el('pas_d', name, field, (c) => c.leaf('RUScat_ru', 'CountryCode', code, field, true));
    };
    country('CountryDeparture', d.departureCountry, `${at}.departureCountry`);
    country('CountryDestination', d.destinationCountry, `${at}.destinationCountry`);
    p.leaf('pas_d', 'CRTaxAllowanceCode', d.benefitCode, `${at}.benefitCode`);
  });
}

function goods(s: Out, g: NonNullable<PtdRequest['goods']>): void {
  s.el('pas_d', 'PassDeclGoodsInfo', 'goods', (info) => {
    info.leaf('pas_d', 'TransferPurposeCode', g.purpose, 'goods.purpose', true);
    g.categories?.forEach((c, i) => info.leaf('pas_d', 'GoodsCategoryCode', c, `goods.categories.${i}`));
    info.el('pas_d', 'GoodsListDetails', 'goods.items', (list) => g.items.forEach((item, i) => goodsItem(list, item, i)));
  });
}

function goodsItem(list: Out, g: PtdGoods, i: number): void {
  const at = `goods.items.${i}`;
  list.el('pas_d', 'PassDeclGoods', at, (p) => {
    p.leaf('pas_d', 'GoodsNumeric', i + 1, at, true);
    p.leaf('pas_d', 'GoodsTNVEDCode', g.tnved, `${at}.tnved`);
    for (const part of parts(fold(g.description), 250, 4)) p.leaf('pas_d', 'GoodsDescription', part, `${at}.description`);
    p.measure('pas_d', 'GrossWeightQuantity', g.grossKg, KG, `${at}.grossKg`);
    p.measure('pas_d', 'NetWeightQuantity', g.netKg, KG, `${at}.netKg`);
    if (g.quantity)
      p.measure('pas_d', 'GoodsQuantity', g.quantity.value, { name: g.quantity.unitName, code: g.quantity.unitCode }, `${at}.quantity`);
    p.leaf('pas_d', 'TradeMark', g.trademark, `${at}.trademark`);
    p.leaf('pas_d', 'GoodsMark', g.brand, `${at}.brand`);
    p.leaf('pas_d', 'GoodsModel', g.model, `${at}.model`);
    p.money('GoodsCost', g.price, `${at}.price`);
  });
}

function vehicles(s: Out, v: NonNullable<PtdRequest['vehicles']>): void {
  s.el('pas_d', 'TransportMeans', 'vehicles', (tm) => {
    tm.leaf('pas_d', 'TransferPurposeCode', v.purpose, 'vehicles.purpose', true);
    tm.leaf('pas_d', 'TaxFreeIndicator', v.dutyFree, 'vehicles.dutyFree');
    v.items.forEach((item, i) => vehicle(tm, item, i));
  });
}

function vehicle(tm: Out, v: PtdVehicle, i: number): void {
  const at = `vehicles.items.${i}`;
  tm.el('pas_d', 'TransportMeansDetails', at, (d) => {
    d.leaf('pas_d', 'TransportModeCode', '30', at, true); // a road vehicle
    d.leaf('pas_d', 'GoodsTNVEDCode', v.tnved, `${at}.tnved`);
    d.leaf('pas_d', 'TrailerIndicator', v.trailer, `${at}.trailer`);
    d.leaf('pas_d', 'TypeIndicator', v.purposeType, `${at}.purposeType`);
    d.leaf('pas_d', 'TransportMeansRegId', v.regNumber, `${at}.regNumber`);
    d.leaf('pas_d', 'TransportMeansCountryCode', v.regCountry, `${at}.regCountry`);
    d.leaf('pas_d', 'VINID', v.vin, `${at}.vin`);
    d.leaf('pas_d', 'ChassisID', v.chassisNumber, `${at}.chassisNumber`);
    d.leaf('pas_d', 'BodyID', v.bodyNumber, `${at}.bodyNumber`);
    d.leaf('pas_d', 'MarkCode', v.makeCode, `${at}.makeCode`);
    d.leaf('pas_d', 'Mark', v.make, `${at}.make`, true);
    d.leaf('pas_d', 'Model', v.model, `${at}.model`, true);
    d.leaf('pas_d', 'OfftakeYear', v.manufactureDate, `${at}.manufactureDate`, true); // sic: a full date
    d.measure('pas_d', 'EngineVolumeQuanity', v.engineVolumeCm3, CM3, `${at}.engineVolumeCm3`); // sic
    if (v.engineType !== undefined || v.powerHp !== undefined || v.powerKw !== undefined) {
      d.el('pas_d', 'Engine', at, (e) => {
        e.leaf('pas_d', 'EngineModeCode', v.engineType, `${at}.engineType`);
        e.leaf('pas_d', 'EnginePowerHpQuanity', v.powerHp === undefined ? undefined : decimal(v.powerHp, 2), `${at}.powerHp`); // sic
        e.leaf('pas_d', 'EnginePowerKvtQuanity', v.powerKw === undefined ? undefined : decimal(v.powerKw, 2), `${at}.powerKw`); // sic
      });
    }
    d.money('CustCost', v.price, `${at}.price`);
  });
}

function filledBy(out: Out, f: PtdRequest['filledBy']): void {
  const at = 'filledBy';
  out.leaf('pas_d', 'RoleCode', f.role, `${at}.role`, true);
  if (f.brokerRegistryNumber !== undefined && f.contract !== undefined) {
    const contract = f.contract;
    out.el('pas_d', 'SignatoryRepresentativeDetails', at, (r) => {
      r.el('RUDECLcat', 'BrokerRegistryDocDetails', `${at}.brokerRegistryNumber`, (b) =>
        b.leaf('RUDECLcat', 'RegistrationNumberId', f.brokerRegistryNumber, `${at}.brokerRegistryNumber`, true),
      );
      r.document('RepresentativeContractDetails', contract, `${at}.contract`);
    });
  }
  out.el('pas_d', 'FilledPerson', at, (p) => {
    p.el('RUDECLcat', 'SigningDetails', at, (s) => {
      s.leaf('cat_ru', 'PersonSurname', f.lastName, `${at}.lastName`, true);
      s.leaf('cat_ru', 'PersonName', f.firstName, `${at}.firstName`, true);
      s.leaf('cat_ru', 'PersonMiddleName', f.middleName, `${at}.middleName`);
      s.leaf('cat_ru', 'PersonPost', f.position, `${at}.position`);
      if (f.phone !== undefined || f.email !== undefined) {
        s.el('RUScat_ru', 'CommunicationDetails', at, (c) => {
          c.leaf('cat_ru', 'Phone', f.phone, `${at}.phone`);
          c.leaf('cat_ru', 'E_mail', f.email, `${at}.email`);
        });
      }
      s.leaf('RUScat_ru', 'SigningDate', f.signedAt, `${at}.signedAt`, true);
    });
    if (f.powerOfAttorney) p.document('PowerOfAttorneyDetails', f.powerOfAttorney, `${at}.powerOfAttorney`);
  });
}
