import Foundation

/// The statistics and school-year part of the OpenAPI description, spliced into the base
/// document (`OpenAPIDocument.base`) so each part stays beside its own controllers.
extension OpenAPIDocument {
    static let json: String = base
        .replacingOccurrences(of: "\n  \"paths\": {\n", with: "\n  \"paths\": {\n" + statisticsPaths + ",\n")
        .replacingOccurrences(of: "\n    \"schemas\": {\n", with: "\n    \"schemas\": {\n" + statisticsSchemas + ",\n")

    static let statisticsPaths = #"""
    "/api/v1/indicators": {
      "get": {
        "operationId": "listIndicators", "summary": "指标定义（分子、分母、基准日、口径、标准）及可查询年度",
        "parameters": [{"name": "category", "in": "query", "schema": {"type": "string", "enum": ["规模", "班额", "普及", "流动", "师资", "均衡", "案件办理"]}}],
        "responses": {
          "200": {"description": "指标定义", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IndicatorDefinitions"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/api/v1/indicators/values": {
      "get": {
        "operationId": "indicatorValues", "summary": "指标数值（本人范围内的单位；分母为0时 value 为 null，表示无定义）",
        "parameters": [
          {"name": "year", "in": "query", "schema": {"type": "integer"}},
          {"name": "unit", "in": "query", "description": "统计单位，如 district:431102、township:431102001、school:2143110201；默认本人所属单位", "schema": {"type": "string"}},
          {"name": "level", "in": "query", "description": "列出本人范围内某一层级的全部单位", "schema": {"type": "string", "enum": ["district", "township", "zone", "school", "group"]}},
          {"name": "category", "in": "query", "schema": {"type": "string", "enum": ["规模", "班额", "普及", "流动", "师资", "均衡", "案件办理"]}},
          {"name": "indicator", "in": "query", "schema": {"type": "string"}}
        ],
        "responses": {
          "200": {"description": "数值", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IndicatorValues"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/indicators/drill": {
      "get": {
        "operationId": "indicatorDrill", "summary": "一个数字的分子或分母包含的记录（分页）",
        "parameters": [
          {"name": "indicator", "in": "query", "required": true, "schema": {"type": "string"}},
          {"name": "unit", "in": "query", "schema": {"type": "string"}},
          {"name": "year", "in": "query", "schema": {"type": "integer"}},
          {"name": "side", "in": "query", "schema": {"type": "string", "enum": ["numerator", "denominator"], "default": "numerator"}},
          {"$ref": "#/components/parameters/Offset"},
          {"$ref": "#/components/parameters/Limit"}
        ],
        "responses": {
          "200": {"description": "记录", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IndicatorDrill"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/school-year/transfers": {
      "get": {
        "operationId": "listTransfers", "summary": "本人范围内学校转出或转入的转学申请",
        "parameters": [{"name": "open", "in": "query", "description": "只列未办结的", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "转学申请", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/TransferRequest"}}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}}
      },
      "post": {
        "operationId": "requestTransfer", "summary": "转入校提出转学申请",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["studentNumber", "toSchoolCode", "date"], "properties": {
          "studentNumber": {"type": "string"}, "toSchoolCode": {"type": "string"}, "grade": {"$ref": "#/components/schemas/Grade"},
          "classNumber": {"type": "integer"}, "date": {"type": "string", "format": "date"}, "reason": {"type": "string"}}}}}},
        "responses": {"201": {"description": "已申请", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TransferRequest"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                      "422": {"$ref": "#/components/responses/Unprocessable"}}
      }
    },
    "/api/v1/school-year/transfers/{id}/approve": {
      "post": {
        "operationId": "approveTransfer", "summary": "审核下一步：待转出校审核时由转出校（或教育局），待教育局审核时由教育局",
        "parameters": [{"$ref": "#/components/parameters/Id"}],
        "responses": {"200": {"description": "已审核", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TransferRequest"}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
                      "404": {"$ref": "#/components/responses/NotFound"}, "422": {"$ref": "#/components/responses/Unprocessable"}}
      }
    },
    "/api/v1/school-year/transfers/{id}/refuse": {
      "post": {
        "operationId": "refuseTransfer", "summary": "拒绝转学申请（须填写理由）",
        "parameters": [{"$ref": "#/components/parameters/Id"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}}}}},
        "responses": {"200": {"description": "已拒绝", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TransferRequest"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                      "422": {"$ref": "#/components/responses/Unprocessable"}}
      }
    },
    "/api/v1/school-year/leave": {
      "post": {
        "operationId": "leaveSchool", "summary": "休学或辍学：结束当前学籍",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["studentNumber", "date", "reason"], "properties": {
          "studentNumber": {"type": "string"}, "date": {"type": "string", "format": "date"}, "reason": {"type": "string", "enum": ["休学", "辍学"]}}}}}},
        "responses": {"200": {"description": "结束后的学籍", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                      "422": {"$ref": "#/components/responses/Unprocessable"}}
      }
    },
    "/api/v1/school-year/return": {
      "post": {
        "operationId": "returnToSchool", "summary": "复学或辍学返校：新开一段学籍",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["studentNumber", "date"], "properties": {
          "studentNumber": {"type": "string"}, "date": {"type": "string", "format": "date"}}}}}},
        "responses": {"201": {"description": "新学籍", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                      "422": {"$ref": "#/components/responses/Unprocessable"}}
      }
    },
    "/api/v1/school-year/year-end/preview": {
      "post": {
        "operationId": "previewYearEnd", "summary": "年终升级与毕业预览（不写入）；不给 schoolCode 为全区（仅教育局）",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/YearEndRequest"}}}},
        "responses": {"200": {"description": "预览", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                      "422": {"$ref": "#/components/responses/Unprocessable"}}
      }
    },
    "/api/v1/school-year/year-end": {
      "post": {
        "operationId": "confirmYearEnd", "summary": "确认年终升级与毕业（一个事务：任一学生不符合规则则全部不变）",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/YearEndRequest"}}}},
        "responses": {"201": {"description": "升级记录", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/YearEndRun"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                      "422": {"$ref": "#/components/responses/Unprocessable"}}
      }
    },
    "/api/v1/school-year/year-end/{id}/undo": {
      "post": {
        "operationId": "undoYearEnd", "summary": "撤销年终升级（新学年9月1日前）",
        "parameters": [{"$ref": "#/components/parameters/Id"}],
        "responses": {"200": {"description": "已撤销", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/YearEndRun"}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
                      "404": {"$ref": "#/components/responses/NotFound"}, "422": {"$ref": "#/components/responses/Unprocessable"}}
      }
    },
    "/api/v1/school-year/rollover": {
      "post": {
        "operationId": "rollOverYear", "summary": "开始新学年：各校年终升级办结后新建起始年级班级（仅教育局）",
        "responses": {"200": {"description": "新学年", "content": {"application/json": {"schema": {"type": "object", "properties": {"year": {"type": "integer"}, "classesCreated": {"type": "integer"}}}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
                      "422": {"$ref": "#/components/responses/Unprocessable"}}
      }
    }
"""#

    static let statisticsSchemas = #"""
      "IndicatorDefinition": {"type": "object", "required": ["id", "nameZH", "nameEN", "category", "numerator", "reference", "records", "factor", "precision", "unitLabel", "levels"], "properties": {
        "id": {"type": "string"}, "nameZH": {"type": "string"}, "nameEN": {"type": "string"}, "category": {"type": "string"},
        "numerator": {"type": "string"}, "denominator": {"type": "string", "nullable": true}, "reference": {"type": "string"},
        "records": {"type": "string"}, "factor": {"type": "string", "enum": ["count", "percent", "permille", "ratio", "ratioToOne", "perHundred"]},
        "precision": {"type": "integer"}, "unitLabel": {"type": "string"}, "levels": {"type": "array", "items": {"type": "string"}},
        "standard": {"type": "string", "nullable": true}}},
      "IndicatorDefinitions": {"type": "object", "required": ["years", "definitions"], "properties": {
        "years": {"type": "array", "items": {"type": "integer"}}, "definitions": {"type": "array", "items": {"$ref": "#/components/schemas/IndicatorDefinition"}}}},
      "ReportingUnit": {"type": "object", "required": ["kind", "key", "name", "ref"], "properties": {
        "kind": {"type": "string", "enum": ["district", "township", "zone", "school", "group"]}, "key": {"type": "string"},
        "name": {"type": "string"}, "ref": {"type": "string", "description": "kind:key，用作 unit 参数"}}},
      "IndicatorValue": {"type": "object", "required": ["indicatorID", "year", "unit", "numerator", "text", "changeText"], "properties": {
        "indicatorID": {"type": "string"}, "year": {"type": "integer"}, "unit": {"$ref": "#/components/schemas/ReportingUnit"},
        "numerator": {"type": "number"}, "denominator": {"type": "number", "nullable": true},
        "value": {"type": "number", "nullable": true, "description": "null 表示分母为0、无定义"}, "previous": {"type": "number", "nullable": true},
        "change": {"type": "number", "nullable": true, "description": "比率为百分点"}, "text": {"type": "string"}, "changeText": {"type": "string"}}},
      "IndicatorValues": {"type": "object", "required": ["years", "values"], "properties": {
        "years": {"type": "array", "items": {"type": "integer"}}, "values": {"type": "array", "items": {"$ref": "#/components/schemas/IndicatorValue"}}}},
      "IndicatorDrill": {"type": "object", "required": ["definition", "unit", "year", "side", "total", "offset", "limit", "numeratorCount", "denominatorCount", "records"], "properties": {
        "definition": {"$ref": "#/components/schemas/IndicatorDefinition"}, "unit": {"$ref": "#/components/schemas/ReportingUnit"},
        "year": {"type": "integer"}, "value": {"$ref": "#/components/schemas/IndicatorValue"}, "side": {"type": "string"},
        "total": {"type": "integer"}, "offset": {"type": "integer"}, "limit": {"type": "integer"},
        "numeratorCount": {"type": "integer"}, "denominatorCount": {"type": "integer"},
        "records": {"type": "array", "items": {"type": "object", "required": ["kind", "id"], "properties": {
          "kind": {"type": "string", "enum": ["student", "class", "staff", "school", "population", "resources"]}, "id": {"type": "integer"},
          "label": {"type": "string", "nullable": true, "description": "无权查看个人信息时只给编号"}, "href": {"type": "string", "nullable": true}}}}}},
      "TransferStep": {"type": "object", "required": ["by", "at"], "properties": {"by": {"type": "string"}, "at": {"type": "string"}}},
      "TransferRequest": {"type": "object", "required": ["id", "studentID", "fromSchoolID", "toSchoolID", "grade", "date", "reason", "status", "requested"], "properties": {
        "id": {"type": "integer"}, "studentID": {"type": "integer"}, "fromSchoolID": {"type": "integer"}, "toSchoolID": {"type": "integer"},
        "grade": {"$ref": "#/components/schemas/Grade"}, "classNumber": {"type": "integer", "nullable": true}, "date": {"type": "string", "format": "date"},
        "reason": {"type": "string"}, "status": {"type": "string", "enum": ["待转出校审核", "待教育局审核", "已办结", "已拒绝"]},
        "requested": {"$ref": "#/components/schemas/TransferStep"}, "sendingApproved": {"$ref": "#/components/schemas/TransferStep"},
        "bureauApproved": {"$ref": "#/components/schemas/TransferStep"}, "refused": {"$ref": "#/components/schemas/TransferStep"},
        "refusalReason": {"type": "string", "nullable": true}}},
      "YearEndRequest": {"type": "object", "properties": {"schoolCode": {"type": "string", "nullable": true, "description": "不给为全区"},
        "repeaters": {"type": "array", "nullable": true, "items": {"type": "string"}, "description": "留级学生学籍号"}}},
      "YearEndRun": {"type": "object", "required": ["id", "year", "closed", "opened", "confirmedBy", "confirmedAt"], "properties": {
        "id": {"type": "integer"}, "year": {"type": "integer"}, "schoolID": {"type": "integer", "nullable": true}, "closed": {"type": "integer"},
        "opened": {"type": "integer"}, "confirmedBy": {"type": "string"}, "confirmedAt": {"type": "string"},
        "undoneBy": {"type": "string", "nullable": true}, "undoneAt": {"type": "string", "nullable": true}}}
"""#
}
